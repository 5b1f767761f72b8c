// Fault cases from the suite's contract. Both need to stop a process the whole suite shares (the
// embedded database, the worker), which start.ts treats as fatal for the app and which would break the
// specs running beside them: they need a serial project with its own app instance.
import { test } from '../../fixtures/test.ts';

test.fixme('the database restarted during a chat gives a fast, clear error and the next question works', async () => {
  // Needs its own app instance: start.ts owns the embedded database and shuts the app down with it.
});

test.fixme('the worker killed during ingestion is recovered with exact chunk counts', async () => {
  // Needs its own app instance: start.ts shuts web down when the worker exits (apps/worker's crash test
  // covers recovery at the package level).
});
