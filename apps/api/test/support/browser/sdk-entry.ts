// The SDK as a page loads it: bundled for the browser (cors.browser.test.ts) and put on
// `globalThis`, where the test's scripts in the page find it.
import * as sdk from '@tagging/client';

/** The name the bundled SDK has in the page. */
export const pageSdkName = 'taggingSdk';

Object.assign(globalThis, { [pageSdkName]: sdk });
