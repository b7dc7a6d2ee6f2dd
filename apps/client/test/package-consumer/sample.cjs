// The packed SDK from CommonJS, on Node 20 (test/package.test.ts).
const sdk = require('@tagging/client');

const client = sdk.createTaggingClient({ baseUrl: process.env.BASE_URL, apiKey: process.env.API_KEY });
client.tags.list
  .query({ limit: 1 })
  .then((page) => console.log(JSON.stringify({ exports: Object.keys(sdk).sort(), tags: page.tags.length })))
  .catch((error) => {
    console.error(sdk.TaggingApiError.from(error).message);
    process.exit(1);
  });
