/**
 * The one piece of jose the Kore.ai adapter uses, behind a module of its own so that koreai.ts can
 * import it at the first signing (other vendors' containers never evaluate jose) while esbuild
 * still tree-shakes jose to SignJWT: a dynamic import of 'jose' itself would bundle all of it.
 */
export { SignJWT } from 'jose';
