import 'server-only';
import { type AccessScope, requireAdmin, withManage } from '@clearance/auth';
import type { Db } from '@clearance/db';

export type DailyUsage = {
  day: string;
  questions: number;
  activeUsers: number;
  unanswered: number;
  p50Ms: number | null;
  p95Ms: number | null;
};

export type AdminUsage = {
  days: number;
  daily: DailyUsage[];
  totals: {
    questions: number;
    activeUsers: number;
    unansweredRate: number | null;
    thumbsUp: number;
    thumbsDown: number;
    p50Ms: number | null;
    p95Ms: number | null;
  };
  topDocuments: { documentId: string; title: string; citations: number }[];
  thumbsDown: {
    messageId: string;
    at: string;
    user: string;
    question: string | null;
    answer: string;
    comment: string | null;
  }[];
};

type DailyRow = {
  day: string;
  questions: number;
  active_users: number;
  unanswered: number;
  p50: number | null;
  p95: number | null;
};
type TotalsRow = {
  questions: number;
  active_users: number;
  answers: number;
  unanswered: number;
  p50: number | null;
  p95: number | null;
};

function roundOrNull(value: number | null | undefined): number | null {
  return value === null || value === undefined ? null : Math.round(Number(value));
}

/**
 * Usage over the last `days` days (admin only): questions and active users per day, unanswered rate,
 * feedback, the most cited documents and answer latency percentiles; plus thumbs-down answers with
 * their comments, newest first.
 */
export async function getAdminUsage(db: Db, actor: AccessScope, days = 30): Promise<AdminUsage> {
  requireAdmin(actor);
  const since = new Date(Date.now() - days * 86_400_000);
  // Questions are counted from answers (one assistant message per question) so a question, its
  // unanswered flag and its latency always agree.
  const daily = await db.$queryRaw<DailyRow[]>`
    SELECT to_char(g.day, 'YYYY-MM-DD') AS day,
      count(m.id)::int AS questions,
      count(DISTINCT c.user_id)::int AS active_users,
      count(m.id) FILTER (WHERE m.unanswered)::int AS unanswered,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY m.latency_ms) AS p50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY m.latency_ms) AS p95
    FROM generate_series(date_trunc('day', ${since}::timestamptz), date_trunc('day', now()), interval '1 day') AS g(day)
    LEFT JOIN messages m ON m.role = 'assistant' AND date_trunc('day', m.created_at) = g.day
    LEFT JOIN conversations c ON c.id = m.conversation_id
    GROUP BY g.day ORDER BY g.day`;
  const [totals] = await db.$queryRaw<TotalsRow[]>`
    SELECT count(m.id)::int AS questions, count(DISTINCT c.user_id)::int AS active_users,
      count(m.id)::int AS answers, count(m.id) FILTER (WHERE m.unanswered)::int AS unanswered,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY m.latency_ms) AS p50,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY m.latency_ms) AS p95
    FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE m.role = 'assistant' AND m.created_at >= ${since}`;
  const feedback = await db.$queryRaw<{ up: number; down: number }[]>`
    SELECT count(*) FILTER (WHERE value > 0)::int AS up, count(*) FILTER (WHERE value < 0)::int AS down
    FROM feedback WHERE created_at >= ${since}`;
  const thumbsDown = await db.$queryRaw<
    {
      message_id: string;
      at: Date;
      email: string;
      question: string | null;
      answer: string;
      comment: string | null;
    }[]
  >`
    SELECT m.id::text AS message_id, f.created_at AS at, u.email, m.content AS answer, f.comment,
      (SELECT q.content FROM messages q WHERE q.conversation_id = m.conversation_id AND q.role = 'user'
         AND q.created_at <= m.created_at ORDER BY q.created_at DESC LIMIT 1) AS question
    FROM feedback f JOIN messages m ON m.id = f.message_id JOIN users u ON u.id = f.user_id
    WHERE f.value < 0 AND f.created_at >= ${since}
    ORDER BY f.created_at DESC LIMIT 50`;
  // Citations and titles are governed tables: counted in manage mode, as the admin.
  const topDocuments = await withManage(
    db,
    (tx) =>
      tx.$queryRaw<{ document_id: string; title: string; citations: number }[]>`
      SELECT d.id::text AS document_id, d.title, count(*)::int AS citations
      FROM citations ci JOIN messages m ON m.id = ci.message_id JOIN documents d ON d.id = ci.document_id
      WHERE m.created_at >= ${since}
      GROUP BY d.id, d.title ORDER BY citations DESC, d.title LIMIT 10`,
  );
  return {
    days,
    daily: daily.map((row) => ({
      day: row.day,
      questions: row.questions,
      activeUsers: row.active_users,
      unanswered: row.unanswered,
      p50Ms: roundOrNull(row.p50),
      p95Ms: roundOrNull(row.p95),
    })),
    totals: {
      questions: totals?.questions ?? 0,
      activeUsers: totals?.active_users ?? 0,
      unansweredRate: totals?.answers ? totals.unanswered / totals.answers : null,
      thumbsUp: feedback[0]?.up ?? 0,
      thumbsDown: feedback[0]?.down ?? 0,
      p50Ms: roundOrNull(totals?.p50),
      p95Ms: roundOrNull(totals?.p95),
    },
    topDocuments: topDocuments.map((row) => ({
      documentId: row.document_id,
      title: row.title,
      citations: row.citations,
    })),
    thumbsDown: thumbsDown.map((row) => ({
      messageId: row.message_id,
      at: row.at.toISOString(),
      user: row.email,
      question: row.question,
      answer: row.answer,
      comment: row.comment,
    })),
  };
}
