import { isIPv6 } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { openApiDocument, type OpenApiDocument } from './openapi-document.ts';

/** A DNS name (letters, digits, hyphens; dot-separated labels of 1–63) or a dotted IPv4 address. */
const hostnamePattern = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** `host[:port]` as a Host header may carry it: a name, an IPv4 address or a bracketed IPv6 one. */
function isValidHost(host: string): boolean {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host);
  if (!match?.[1]) return false;
  const [, name, port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  return name.startsWith('[') ? isIPv6(name.slice(1, -1)) : hostnamePattern.test(name);
}

/** The address the request came in on (the socket's local end), for when its Host is not usable. */
function localAddressOf(req: FastifyRequest): string {
  const { localAddress, localPort } = req.socket;
  if (localAddress === undefined) return 'localhost';
  const address = isIPv6(localAddress) ? `[${localAddress}]` : localAddress;
  return localPort === undefined ? address : `${address}:${localPort}`;
}

/**
 * The base URL the client used (`http(s)://host[:port]`), from `req.protocol`/`req.host` (the
 * Host header, or X-Forwarded-Proto/Host from a trusted proxy). Both are the client's word, and
 * the URL lands in a document and a page (issue 19 attack: `javascript://…`, `evil.com/"<script>`):
 * a scheme other than http/https becomes http, and a host that is not a syntactically valid
 * `host[:port]` becomes the socket's local address.
 */
export function requestBaseUrl(req: FastifyRequest): string {
  const protocol = req.protocol === 'https' ? 'https' : 'http';
  const host = isValidHost(req.host) ? req.host : localAddressOf(req);
  return `${protocol}://${host}`;
}

/**
 * The document as served to a request: its server URL is the address the client used (checked,
 * see `requestBaseUrl`), so that "try it out" and generated clients call this same server. The
 * document is built once per process; each request gets a shallow copy naming its own address,
 * so no cache per address is needed (the Host header is the client's: any number of them).
 */
export function servedOpenApiDocument(req: FastifyRequest): OpenApiDocument {
  return openApiDocument(requestBaseUrl(req));
}
