/**
 * A document that cannot be parsed, whatever the number of attempts: encrypted, damaged, a zip bomb,
 * no text. The message is shown to admins as the version's failure reason, so it says what to do.
 */
export class ParseError extends Error {
  override name = 'ParseError';
  readonly permanent = true;
}
