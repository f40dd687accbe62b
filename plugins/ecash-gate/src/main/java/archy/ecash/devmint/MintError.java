package archy.ecash.devmint;

import archy.ecash.mint.NutError;

/**
 * A refused request, answered as HTTP 400 {@code {"detail","code"}}. {@code error} is null for failures the NUTs
 * give no code (a malformed body, an unknown quote), which are answered with code 0, as nutshell does.
 */
final class MintError extends Exception {
  private final NutError error;
  private final int status;

  private MintError(NutError error, String detail, int status) {
    super(detail, null, false, false);
    this.error = error;
    this.status = status;
  }

  static MintError of(NutError error) {
    return new MintError(error, error.description(), 400);
  }

  static MintError of(NutError error, String detail) {
    return new MintError(error, detail, 400);
  }

  /** A failure without a NUT code. */
  static MintError bad(String detail) {
    return new MintError(null, detail, 400);
  }

  /** No such endpoint (HTTP 404). */
  static MintError notFound() {
    return new MintError(null, "not found", 404);
  }

  int status() {
    return status;
  }

  int code() {
    return error == null ? 0 : error.code();
  }
}
