import { TaggingApiError } from '../../src/index.ts';

/** The error a client call failed with, as the SDK reports it; throws when the call succeeded. */
export async function failure(promise: Promise<unknown>): Promise<TaggingApiError> {
  try {
    await promise;
  } catch (error) {
    return TaggingApiError.from(error);
  }
  throw new Error('expected the call to fail');
}
