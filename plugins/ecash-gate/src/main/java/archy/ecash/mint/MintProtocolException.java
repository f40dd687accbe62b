package archy.ecash.mint;

/** The mint answered, but not as the NUTs say: unparsable JSON, missing fields, wrong counts, keys that do not match their id. */
public final class MintProtocolException extends MintException {
  MintProtocolException(String endpoint, String message) {
    super(endpoint, message, null);
  }

  /** The mint contradicts itself (e.g. refuses outputs on the keyset it lists as active): outcome unknown, ask later. */
  public static MintProtocolException inconsistent(String endpoint, String message) {
    return new MintProtocolException(endpoint, message);
  }

  @Override
  public boolean outcomeUnknown() {
    return true;
  }
}
