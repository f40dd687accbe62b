package archy.ecash.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PaymentRequestTest {
  private static final PaymentRequest GATE_402 = PaymentRequest
      .inBand("session-7f3a", 21, "sat", List.of("https://mint.a.example", "https://mint.b.example"))
      .withNut10(new Nut10Option(Nut10Option.P2PK,
          "02c3b5bb27e361457c92d93d78dd73d3d53732110b2cfe8b50fbc0abc615e9c331", null));

  @Test
  void bothEncodingsRoundTrip() throws Exception {
    assertEquals(GATE_402, PaymentRequest.decode(GATE_402.encodeA()));
    assertEquals(GATE_402, PaymentRequest.decode(GATE_402.encodeB()));
    assertTrue(GATE_402.encodeB().startsWith("CREQB1"));
    assertEquals(GATE_402, PaymentRequest.decode("CREQA" + GATE_402.encodeA().substring(5)));
  }

  @Test
  void malformedRequestsAreRefused() {
    assertThrows(InvalidPaymentRequestException.class, () -> PaymentRequest.decode("cashuBxyz"));
    assertThrows(InvalidPaymentRequestException.class, () -> PaymentRequest.decode("creqA!!!"));
    String b = GATE_402.encodeB();
    String corrupted = b.substring(0, b.length() - 1) + (b.endsWith("Q") ? "P" : "Q");
    assertThrows(InvalidPaymentRequestException.class, () -> PaymentRequest.decode(corrupted));
    assertThrows(IllegalArgumentException.class, () -> new PaymentRequest(null, 5L, null, null, null, null, null, null));
  }

  @Test
  void whatTlvCannotCarryIsRefusedOnEncode() {
    PaymentRequest unknownTransport = new PaymentRequest("x", null, null, null, null, null,
        List.of(new Transport("carrier-pigeon", "loft 3", null)), null);
    assertThrows(IllegalArgumentException.class, unknownTransport::encodeB);
    PaymentRequest unknownKind = GATE_402.withNut10(new Nut10Option("FUTURE", "data", null));
    assertThrows(IllegalArgumentException.class, unknownKind::encodeB);
    assertEquals(unknownKind, assertDoesNotThrowDecode(unknownKind.encodeA()));
  }

  private static PaymentRequest assertDoesNotThrowDecode(String s) {
    try {
      return PaymentRequest.decode(s);
    } catch (InvalidPaymentRequestException e) {
      throw new AssertionError(e);
    }
  }
}
