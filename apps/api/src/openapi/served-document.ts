import type { FastifyRequest } from 'fastify';
import { openApiDocument, type OpenApiDocument } from './openapi-document.ts';

const documents = new Map<string, OpenApiDocument>();
const maxAddresses = 8;

/**
 * The document as served to a request: its server URL is the address the client used, so that
 * "try it out" and generated clients call this same server. The document depends only on the
 * router and that address, so it is built once per address; the Host header is the client's,
 * so only a few addresses are kept.
 */
export function servedOpenApiDocument(req: FastifyRequest): OpenApiDocument {
  const baseUrl = `${req.protocol}://${req.host}`;
  const cached = documents.get(baseUrl);
  if (cached) return cached;
  const document = openApiDocument(baseUrl);
  if (documents.size < maxAddresses) documents.set(baseUrl, document);
  return document;
}
