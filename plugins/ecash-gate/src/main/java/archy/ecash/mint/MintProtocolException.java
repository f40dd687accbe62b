package archy.ecash.mint;

/** The mint answered, but not as the NUTs say: unparsable JSON, missing fields, wrong counts, keys that do not match their id. */
public final class MintProtocolException extends MintException {
  MintProtocolException(String endpoint, String message) {
    super(endpoint, message, null);
  }

  @Override
  public boolean outcomeUnknown() {
    return true;
  }
}
