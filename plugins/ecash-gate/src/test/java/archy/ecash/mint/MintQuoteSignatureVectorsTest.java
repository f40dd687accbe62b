package archy.ecash.mint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Vectors;
import archy.ecash.crypto.Point;
import archy.ecash.crypto.Scalar;
import archy.ecash.token.BlindedMessage;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NUT-20 vectors ({@code tests/20-test.md}): the message to sign, a valid and an invalid signature. */
class MintQuoteSignatureVectorsTest {
  private static final JsonNode NUT20 = Vectors.load("nut20");
  private static final Point PUBKEY = Point.fromHex(NUT20.get("pubkey").asText());

  private static List<BlindedMessage> outputs(JsonNode request) throws Exception {
    List<BlindedMessage> out = new ArrayList<>();
    for (JsonNode o : request.get("outputs")) out.add(Vectors.json().treeToValue(o, BlindedMessage.class));
    return out;
  }

  @Test
  void messageToSign() throws Exception {
    JsonNode valid = NUT20.get("valid");
    JsonNode expected = NUT20.get("message_bytes");
    byte[] bytes = new byte[expected.size()];
    for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) expected.get(i).asInt();
    assertArrayEquals(bytes, MintQuoteSignature.message(valid.get("quote").asText(), outputs(valid)));
  }

  @Test
  void validSignature() throws Exception {
    JsonNode valid = NUT20.get("valid");
    assertTrue(MintQuoteSignature.verify(valid.get("quote").asText(), outputs(valid), valid.get("signature").asText(), PUBKEY));
  }

  @Test
  void invalidSignature() throws Exception {
    JsonNode invalid = NUT20.get("invalid");
    assertFalse(MintQuoteSignature.verify(invalid.get("quote").asText(), outputs(invalid),
        invalid.get("signature").asText(), PUBKEY));
  }

  @Test
  void ourSignaturesVerifyAndBindTheOutputs() throws Exception {
    JsonNode valid = NUT20.get("valid");
    Scalar key = Scalar.random();
    List<BlindedMessage> outs = outputs(valid);
    String sig = MintQuoteSignature.sign(valid.get("quote").asText(), outs, key);
    assertTrue(MintQuoteSignature.verify(valid.get("quote").asText(), outs, sig, key.publicKey()));
    assertFalse(MintQuoteSignature.verify(valid.get("quote").asText(), outs.subList(1, outs.size()), sig, key.publicKey()));
    assertFalse(MintQuoteSignature.verify(valid.get("quote").asText(), outs, sig, PUBKEY));
    assertFalse(MintQuoteSignature.verify(valid.get("quote").asText(), outs, "zz", key.publicKey()));
  }
}
