/**
 * Only requests signed with the local access key reach a stand-in (docs/operators/running-locally.md,
 * "Only their gates"): the AWS Signature Version 4 of each request is computed again with
 * Smithy's own signer (the one the AWS SDK signs with) and compared, after checking the key id,
 * the credential scope, the date and the body hash. Anything else is answered 403 as AWS does.
 */
import { type BinaryLike, type Hash, type Hmac, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LocalAccessKey } from './access-key';

/** AWS refuses a signature more than 5 minutes from its clock. */
const maxSkewMs = 5 * 60_000;
/** dynalite's own request cap; the Secrets Manager stand-in's requests are a few hundred bytes. */
const maxBodyBytes = 16 * 1024 * 1024;

const authorizationPattern =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

type SourceData = string | ArrayBuffer | ArrayBufferView;

/** node:crypto in the shape Smithy's signer hashes with. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBytes(data: SourceData): BinaryLike {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

export interface SignedRequest {
  method: string;
  /** The request target: path and query, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Why a request is refused, or undefined when it carries a valid signature by `key` for `service`. */
export async function signatureProblem(request: SignedRequest, key: LocalAccessKey, service: string, now = Date.now()): Promise<string | undefined> {
  const match = authorizationPattern.exec(String(request.headers.authorization ?? ''));
  if (!match) return 'the request is not signed with AWS Signature Version 4';
  const [, accessKeyId, scopeDate, region, scopeService, signedHeaderList, signature] = match as unknown as string[];
  if (accessKeyId !== key.accessKeyId) return "the access key is not this gate's";
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || amzDate.slice(0, 8) !== scopeDate) return 'the request has no valid X-Amz-Date';
  if (Math.abs(now - signedAt.getTime()) > maxSkewMs) return 'the signature has expired';
  if (scopeService !== service) return `the signature is for another service (${scopeService})`;
  const signedHeaders = signedHeaderList!.split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) return 'the signature does not cover Host and X-Amz-Date';
  const declaredHash = request.headers['x-amz-content-sha256'];
  if (declaredHash !== undefined && declaredHash !== createHash('sha256').update(request.body).digest('hex')) return 'the body does not match its hash';
  const expected = await expectedSignature(request, key, { region: region!, service, signedHeaders, signedAt });
  const matches = expected.length === signature!.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature!));
  return matches ? undefined : 'the signature does not match';
}

interface SigningScope {
  region: string;
  service: string;
  signedHeaders: string[];
  signedAt: Date;
}

async function expectedSignature(request: SignedRequest, key: LocalAccessKey, scope: SigningScope): Promise<string> {
  const target = new URL(request.url, 'http://local');
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(target.searchParams.keys())) {
    const values = target.searchParams.getAll(name);
    query[name] = values.length === 1 ? values[0]! : values;
  }
  const headers: Record<string, string> = {};
  for (const name of scope.signedHeaders) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const signer = new SignatureV4({ credentials: key, region: scope.region, service: scope.service, sha256: NodeSha256, applyChecksum: false });
  const signed = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: String(request.headers.host ?? ''), path: target.pathname, query, headers, body: request.body },
    { signingDate: scope.signedAt, signingRegion: scope.region, signingService: scope.service, signableHeaders: new Set(scope.signedHeaders) },
  );
  return /Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization))?.[1] ?? '';
}

/** `20261203T125510Z` */
function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A request listener that reads the body, verifies the signature, and only then hands the
 * request (and its body) to `next`; 403 otherwise, in the AWS JSON error shape the SDK reads.
 */
export function signedOnly(
  key: LocalAccessKey,
  service: string,
  next: (request: IncomingMessage, response: ServerResponse, body: Buffer) => void,
): RequestListener {
  const check = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    if (body === undefined) return refuse(response, 413, 'RequestEntityTooLarge', 'request body too large');
    const problem = await signatureProblem({ method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, body }, key, service);
    if (problem) return refuse(response, 403, problem.startsWith('the access key') ? 'UnrecognizedClientException' : 'InvalidSignatureException', problem);
    next(request, response, body);
  };
  // Whatever a request holds, it gets an answer or a closed connection, never a crash of the gate.
  return (request, response) =>
    void check(request, response).catch(() =>
      response.headersSent ? response.destroy() : refuse(response, 403, 'InvalidSignatureException', 'the request cannot be checked'),
    );
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function refuse(response: ServerResponse, status: number, type: string, message: string) {
  const body = JSON.stringify({ __type: type, message });
  response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
