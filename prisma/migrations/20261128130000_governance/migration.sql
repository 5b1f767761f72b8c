-- Governance: row-level security on document data, the application role, an append-only audit trail.
--
-- Request paths run inside a transaction that does
--   SET LOCAL ROLE clearance_app;
--   SELECT set_config('clearance.mode', 'read' | 'manage', true), set_config('clearance.role_ids', '{...}', true);
-- (packages/auth withScope / withManage). In 'read' mode only documents granted to one of role_ids and not
-- deleted are visible, with their versions, chunks, embeddings and citations; 'manage' (admin console,
-- worker) sees everything. With no settings the policies match nothing, so a query that forgets its
-- scope returns nothing. Superusers bypass RLS, which is why the transaction switches to clearance_app.
-- FORCE applies the policies to the tables' owner too: code connecting as the owner (not a superuser)
-- must use withManage for maintenance work, or connect as a role with BYPASSRLS.

-- The role is cluster-wide: several databases on one server (tests, staging) share it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clearance_app') THEN
    CREATE ROLE clearance_app NOLOGIN NOBYPASSRLS;
  END IF;
END
$$;

-- The connecting user must be a member to SET ROLE; a superuser already may, and a CREATEROLE owner can
-- grant it. A managed database where neither holds needs: GRANT clearance_app TO <app user>.
DO $$
BEGIN
  EXECUTE format('GRANT clearance_app TO %I', current_user);
EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN
  RAISE NOTICE 'could not grant clearance_app to %: grant it manually', current_user;
END
$$;

DO $$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO clearance_app', current_schema());
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO clearance_app', current_schema());
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO clearance_app', current_schema());
  EXECUTE format('REVOKE ALL ON TABLE %I._prisma_migrations FROM clearance_app', current_schema());
END
$$;
-- Tables added by later migrations get the same privileges; a later migration revokes what must stay out.
ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO clearance_app;
ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT ON SEQUENCES TO clearance_app;

-- The scope set for this transaction. NULLIF: an unset custom setting reads as '' once it has been set
-- in any earlier transaction of the session, and as NULL before that.
CREATE FUNCTION clearance_mode() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('clearance.mode', true), '')
$$;
CREATE FUNCTION clearance_role_ids() RETURNS uuid[] LANGUAGE sql STABLE AS $$
  SELECT COALESCE(NULLIF(current_setting('clearance.role_ids', true), '')::uuid[], '{}'::uuid[])
$$;
-- SECURITY DEFINER would widen what the caller sees; these only read settings, so they run as the caller.
GRANT EXECUTE ON FUNCTION clearance_mode() TO clearance_app;
GRANT EXECUTE ON FUNCTION clearance_role_ids() TO clearance_app;

ALTER TABLE "documents" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "documents" FORCE ROW LEVEL SECURITY;
ALTER TABLE "document_versions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "document_versions" FORCE ROW LEVEL SECURITY;
ALTER TABLE "chunks" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "chunks" FORCE ROW LEVEL SECURITY;
ALTER TABLE "chunk_embeddings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "chunk_embeddings" FORCE ROW LEVEL SECURITY;
ALTER TABLE "citations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "citations" FORCE ROW LEVEL SECURITY;

-- 'manage' sees and writes everything.
CREATE POLICY "documents_manage" ON "documents" FOR ALL
  USING (clearance_mode() = 'manage') WITH CHECK (clearance_mode() = 'manage');
CREATE POLICY "document_versions_manage" ON "document_versions" FOR ALL
  USING (clearance_mode() = 'manage') WITH CHECK (clearance_mode() = 'manage');
CREATE POLICY "chunks_manage" ON "chunks" FOR ALL
  USING (clearance_mode() = 'manage') WITH CHECK (clearance_mode() = 'manage');
CREATE POLICY "chunk_embeddings_manage" ON "chunk_embeddings" FOR ALL
  USING (clearance_mode() = 'manage') WITH CHECK (clearance_mode() = 'manage');
CREATE POLICY "citations_manage" ON "citations" FOR ALL
  USING (clearance_mode() = 'manage') WITH CHECK (clearance_mode() = 'manage');

-- 'read' sees a document iff it is not deleted and granted to one of the scope's roles; a document
-- granted to no role is readable by nobody. Read mode writes nothing but citations of readable chunks.
CREATE POLICY "documents_read" ON "documents" FOR SELECT USING (
  clearance_mode() = 'read'
  AND "deleted_at" IS NULL
  AND EXISTS (
    SELECT 1 FROM "document_grants" g
    WHERE g."document_id" = "documents"."id" AND g."role_id" = ANY (clearance_role_ids())
  )
);
-- The subqueries below read "documents" under its own policy, so every table inherits the same rule.
CREATE POLICY "document_versions_read" ON "document_versions" FOR SELECT USING (
  clearance_mode() = 'read'
  AND EXISTS (SELECT 1 FROM "documents" d WHERE d."id" = "document_versions"."document_id")
);
CREATE POLICY "chunks_read" ON "chunks" FOR SELECT USING (
  clearance_mode() = 'read'
  AND EXISTS (SELECT 1 FROM "documents" d WHERE d."id" = "chunks"."document_id")
);
CREATE POLICY "chunk_embeddings_read" ON "chunk_embeddings" FOR SELECT USING (
  clearance_mode() = 'read'
  AND EXISTS (
    SELECT 1 FROM "document_versions" v
    JOIN "documents" d ON d."id" = v."document_id"
    WHERE v."id" = "chunk_embeddings"."version_id"
  )
);
CREATE POLICY "citations_read" ON "citations" FOR SELECT USING (
  clearance_mode() = 'read'
  AND EXISTS (SELECT 1 FROM "documents" d WHERE d."id" = "citations"."document_id")
);
CREATE POLICY "citations_read_insert" ON "citations" FOR INSERT WITH CHECK (
  clearance_mode() = 'read'
  AND EXISTS (SELECT 1 FROM "documents" d WHERE d."id" = "citations"."document_id")
);

-- Audit trail: append-only for the application role (privileges) and for everyone else (trigger; the
-- owner and superusers hold every privilege, so only a trigger stops them).
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM clearance_app;

CREATE FUNCTION clearance_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Retention purges are an operator task: see the governance migration.';
END
$$;

CREATE TRIGGER "audit_events_append_only"
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION clearance_audit_append_only();
CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION clearance_audit_append_only();

-- Retention purge (operator only, as the table owner or a superuser, never from the application):
--   BEGIN;
--   ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
--   DELETE FROM audit_events WHERE at < now() - interval '400 days';
--   ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;
--   COMMIT;
-- ALTER TABLE takes an exclusive lock, so no application write slips through while the trigger is off;
-- export the rows first (`exportAudit`) if they must be archived.
