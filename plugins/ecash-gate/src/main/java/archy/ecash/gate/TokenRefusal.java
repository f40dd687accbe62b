package archy.ecash.gate;

/** A token the gate will not take, for a reason safe to send back as {@code X-Reason}. */
final class TokenRefusal extends Exception {
  TokenRefusal(String reason) {
    super(reason, null, false, false);
  }
}
