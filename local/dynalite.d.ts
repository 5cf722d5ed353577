/** dynalite 4 ships no types: the one call this project makes. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** Ms a new table stays CREATING (default 500); 0 makes it ACTIVE at once. */
    createTableMs?: number;
    /** LevelDB directory; in memory when absent. */
    path?: string;
  }

  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
