/**
 * zod/mini loads no locale: without this, every built-in message would be "Invalid input".
 * English is configured here, once; every module that defines or parses a zod schema imports
 * this file, so it runs before any parse. Only `en` is bundled (never `z.locales`: every locale).
 */
import * as z from 'zod/mini';
import { en } from 'zod/v4/locales';

z.config(en());
