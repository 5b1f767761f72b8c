/**
 * Runs once when the server starts. Puts the request gate (client address from the socket, 405 for
 * unsupported methods, 400 for NUL bytes in URLs) in front of the HTTP server, then loads the configured
 * embedder and generator in the background, so the first question after a restart doesn't pay for
 * loading the models (and /admin/system shows what is loaded, its dimension and device). A model that
 * fails to load is reported here and again, with its reason, on the first request that needs it.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installRequestGate } = await import('./server/request-gate.ts');
  installRequestGate();
  const { loadEmbedder, loadGenerator } = await import('@clearance/inference');
  const { warmTextAnalysis } = await import('@clearance/text');
  // The answerer's language model and WordNet indexes (~0.8 s on first use).
  setTimeout(warmTextAnalysis, 0);
  void Promise.all([loadEmbedder(), loadGenerator()]).catch((error: Error) => {
    console.warn(`[web] models not preloaded: ${error.message}`);
  });
}
