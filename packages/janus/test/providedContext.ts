// What the Vitest global setup (globalSetup.ts) provides to tests; a test that calls
// `inject('janusUrl')` imports this file's type so the name is known.
declare module 'vitest' {
  export interface ProvidedContext {
    /** The WebSocket URL of the one `janus` the test run shares (tests keep apart by room). */
    janusUrl: string;
    /** Its VideoRoom `admin_key`. */
    janusAdminKey: string;
  }
}

export {};
