export { canonicalRequest, signRequest, type RequestToSign, type SigningCredentials } from './reference-signer.ts';
export { deriveSigningKey, formatKeyId, parseKeyId } from './keys.ts';
export { parseSignatureHeader, type SignatureHeader } from './header.ts';
export {
  createSignatureVerifier, DEFAULT_SIGNATURE_WINDOW,
  type SignatureVerifier, type SignatureVerifierOptions, type SignedRequest, type SignatureResult, type SignatureFailure,
} from './verify.ts';
