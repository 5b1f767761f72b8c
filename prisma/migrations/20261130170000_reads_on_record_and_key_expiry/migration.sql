-- Issue 15: API keys expire; the texts of audited reads (questions, search queries, see-as questions,
-- reasons given for reading a document as an admin) are kept beside their audit rows for a retention
-- period, so they outlive the conversation they were asked in but not the retention setting.

ALTER TABLE "api_keys" ADD COLUMN "expires_at" TIMESTAMPTZ(3);

CREATE TABLE "audit_texts" (
  "event_id" BIGINT NOT NULL,
  "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "text" TEXT NOT NULL,
  CONSTRAINT "audit_texts_pkey" PRIMARY KEY ("event_id"),
  CONSTRAINT "audit_texts_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "audit_events"("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "audit_texts_at_idx" ON "audit_texts"("at");

-- The application role appends and reads; only the retention purge removes, never an edit.
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_texts" FROM clearance_app;

-- Texts are append-only like their rows, with one exception: the retention purge
-- (purgeExpiredAuditTexts) may delete a text older than the retention it declares for its transaction.
-- Nothing else can shorten the record: a delete of a younger text, or any update, is refused.
CREATE FUNCTION clearance_audit_texts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  retention_days int := NULLIF(current_setting('clearance.audit_text_retention_days', true), '')::int;
BEGIN
  IF TG_OP = 'DELETE' AND retention_days IS NOT NULL AND retention_days >= 1
     AND OLD."at" < now() - make_interval(days => retention_days) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_texts is append-only until its retention ends (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER "audit_texts_append_only"
  BEFORE UPDATE OR DELETE ON "audit_texts"
  FOR EACH ROW EXECUTE FUNCTION clearance_audit_texts_guard();
CREATE TRIGGER "audit_texts_no_truncate"
  BEFORE TRUNCATE ON "audit_texts"
  FOR EACH STATEMENT EXECUTE FUNCTION clearance_audit_append_only();
