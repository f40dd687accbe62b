package archy.ecash.mint;

import java.util.Optional;

/**
 * The mint refused the request with a NUT error ({@code {"detail","code"}} with a code of {@link NutError}, normally
 * HTTP 400). Any other error answer, a 4xx without such a code included, is a {@link MintUnavailableException}: its
 * outcome is unknown.
 */
public final class MintRejectedException extends MintException {
  private final int httpStatus;
  private final int code;
  private final String detail;

  MintRejectedException(String endpoint, int httpStatus, int code, String detail) {
    super(endpoint, describe(httpStatus, code), null);
    this.httpStatus = httpStatus;
    this.code = code;
    this.detail = detail;
  }

  private static String describe(int httpStatus, int code) {
    String known = NutError.of(code).map(NutError::description).orElse("error");
    return "rejected with code " + code + " (" + known + "), HTTP " + httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The NUT error code. */
  public int code() {
    return code;
  }

  public Optional<NutError> error() {
    return NutError.of(code);
  }

  public boolean is(NutError error) {
    return code == error.code();
  }

  /** The mint's own words. Kept out of {@link #getMessage()}: a mint may echo request data, so do not log it. */
  public String detail() {
    return detail;
  }

  @Override
  public boolean outcomeUnknown() {
    return false;
  }
}
