const slash = 0x2f;
/** The scheme and authority of an absolute-form target: `http://host:port`. */
const schemeAndAuthority = /^https?:\/\/[^/?#]*/i;

/**
 * The origin form (`/path?query`) of a request target. A client may send the absolute form
 * (`GET http://host/api/tags HTTP/1.1`, which a server must accept: RFC 9112 §3.2.2); without
 * its scheme and authority it names the same route, and every rule that reads the URL (the
 * surface, the key check, the routes) sees the path. Any other target is returned as it is.
 */
export function originForm(target: string): string {
  if (target.charCodeAt(0) === slash) return target;
  const prefix = schemeAndAuthority.exec(target)?.[0];
  if (prefix === undefined) return target;
  const rest = target.slice(prefix.length);
  return rest.charCodeAt(0) === slash ? rest : `/${rest}`;
}
