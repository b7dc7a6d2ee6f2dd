/**
 * A bulk response's `success`: false when every entity of the request failed. Each distinct
 * entity ends as exactly one of changed, skipped (it was already so) or an error (not found, or
 * a conflict), so some entity did not fail exactly when `changed + skipped` is above zero.
 */
export function anyEntityApplied(changed: number, skipped: number): boolean {
  return changed + skipped > 0;
}
