// The SDK as a front end loads it: bundled for the browser by cors.browser.test.ts and put on
// `globalThis.taggingSdk`, where the test's scripts in the page find it.
import * as sdk from '@tagging/client';

Object.assign(globalThis, { taggingSdk: sdk });
