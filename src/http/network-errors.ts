/**
 * A connection that failed, in words a person can act on: above all TLS, where Node's codes (UNABLE_TO_VERIFY_LEAF_
 * SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID, ...) name the cause but not what to do about it. One line, no stack.
 */

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

export interface NetworkErrorContext {
  /** The target as shown. */
  readonly target: string;
  /** NODE_EXTRA_CA_CERTS, if set. */
  readonly extraCaCerts: string | undefined;
}

/** The cause of a failed connection, or undefined when it is not a TLS failure (then the message says enough). */
export function tlsCause(code: string | undefined, message: string, context: NetworkErrorContext): string | undefined {
  if (code !== undefined && UNTRUSTED.has(code)) {
    const trust =
      context.extraCaCerts === undefined
        ? 'if a private CA signed it, point NODE_EXTRA_CA_CERTS at that CA\'s PEM file'
        : `NODE_EXTRA_CA_CERTS (${context.extraCaCerts}) does not hold the CA that signed it`;
    return `TLS: the certificate of ${context.target} is not signed by a CA this machine trusts (${code}); ${trust}`;
  }
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return `TLS: the certificate of ${context.target} has expired (${code})`;
    case 'CERT_NOT_YET_VALID':
      return `TLS: the certificate of ${context.target} is not valid yet (${code}); check this machine's clock`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS: the certificate of ${context.target} is for another host name (${code}: ${message}); use the name it was issued for`;
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'EPROTO':
      return `TLS: ${context.target} does not speak TLS on that port (${code}); is it http:// rather than https://?`;
    default:
      return /certificate|tls|ssl/i.test(`${code ?? ''} ${message}`) ? `TLS: ${context.target}: ${code ? `${code}: ` : ''}${message}` : undefined;
  }
}
