import type { FastifyInstance } from 'fastify';
import { fastifySwagger } from '@fastify/swagger';
import { fastifySwaggerUi } from '@fastify/swagger-ui';
import { servedOpenApiDocument } from '../openapi/served-document.ts';

const docsPath = '/docs';

/**
 * `/docs`: Swagger UI over the document `/openapi.json` serves, every asset from this server
 * (no CDN). "Authorize" takes the API key and "Try it out" calls the API from the page. Public,
 * like the document itself: the key is the reader's, entered in the page.
 */
export async function docsPage(app: FastifyInstance): Promise<void> {
  // Swagger UI reads its document from @fastify/swagger. That document is built per served
  // address (see servedOpenApiDocument), so @fastify/swagger holds only a placeholder and every
  // request for the page's document gets /openapi.json's own.
  await app.register(fastifySwagger, {
    mode: 'static',
    specification: { document: { openapi: '3.1.0', info: { title: 'Tagging service', version: '0' }, paths: {} } },
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: docsPath,
    transformSpecification: (_placeholder, req) => servedOpenApiDocument(req),
    transformSpecificationClone: false,
    uiConfig: {
      docExpansion: 'list',
      // Operations are found by path or group name.
      filter: true,
      tryItOutEnabled: true,
      displayRequestDuration: true,
    },
  });
}
