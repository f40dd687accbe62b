package archy.relay;

import archy.config.Relay;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The NIP-11 relay information document. It lists only the relay NIPs this server really implements
 * (client-side NIPs are not advertised, per NIP-11) and fills the limitation fields from the config.
 */
public final class Nip11 {
  private static final List<Integer> IMPLEMENTED_NIPS = List.of(1, 9, 11, 40, 42, 45, 70, 77, 86);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Nip11() {}

  /** The NIPs this relay serves as configured: {@code negentropy_max_sessions = 0} turns NIP-77 off. */
  public static List<Integer> supportedNips(Relay r) {
    return IMPLEMENTED_NIPS.stream().filter(n -> n != 77 || r.negentropyMaxSessions() > 0).toList();
  }

  /**
   * @param name        the relay's name now (an operator may change it with NIP-86), likewise {@code description}
   * @param icon        an icon URL, or null
   */
  public static String document(Relay r, String name, String description, String icon, String nodePubkey,
                                String software, String version, boolean restrictedWrites) {
    ObjectNode doc = MAPPER.createObjectNode();
    doc.put("name", name);
    doc.put("description", description);
    if (icon != null) doc.put("icon", icon);
    doc.put("pubkey", r.pubkey().isEmpty() ? nodePubkey : r.pubkey());
    if (!r.contact().isEmpty()) doc.put("contact", r.contact());
    ArrayNode nips = doc.putArray("supported_nips");
    // Without NIP-77 listed, clients page with REQ instead of being refused.
    supportedNips(r).forEach(nips::add);
    doc.put("software", software);
    doc.put("version", version);
    ObjectNode limitation = doc.putObject("limitation");
    limitation.put("max_message_length", r.maxFrameBytes());
    limitation.put("max_subscriptions", r.maxSubscriptions());
    limitation.put("max_limit", r.maxLimit());
    limitation.put("default_limit", r.defaultLimit());
    limitation.put("max_subid_length", r.maxSubscriptionIdLength());
    limitation.put("max_event_tags", r.maxTags());
    limitation.put("max_content_length", r.maxEventBytes());
    limitation.put("min_pow_difficulty", 0);
    limitation.put("auth_required", false);
    limitation.put("payment_required", false);
    limitation.put("restricted_writes", restrictedWrites || !r.authRequiredKinds().isEmpty());
    if (r.maxPastSeconds() > 0) limitation.put("created_at_lower_limit", r.maxPastSeconds());
    if (r.maxFutureSeconds() > 0) limitation.put("created_at_upper_limit", r.maxFutureSeconds());
    return doc.toString();
  }
}
