/**
 * A domain result without the `success: true` flag the API documents wrap their answers in:
 * the domain returns plain data, and each dialect's procedure adds its envelope.
 */
export type PlainResult<T> = Omit<T, 'success'>;
