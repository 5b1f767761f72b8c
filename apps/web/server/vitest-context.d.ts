// The values @clearance/db's test global setup provides (its own declaration is not in this package's
// compilation).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    databaseKind: 'embedded' | 'postgres';
  }
}
