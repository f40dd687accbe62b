package archy.ecash.mint;

import archy.ecash.encoding.Json;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/info} (NUT-06). The descriptive fields are as the mint sent them; {@code nuts} stays raw JSON
 * (each NUT defines its own settings, and new ones keep coming) with typed accessors for the settings this code
 * acts on: NUT-04/05 methods and limits, {@code supported} flags, NUT-19 caching.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MintInfo(
    @JsonProperty("name") String name,
    @JsonProperty("pubkey") String pubkey,
    @JsonProperty("version") String version,
    @JsonProperty("description") String description,
    @JsonProperty("description_long") String descriptionLong,
    @JsonProperty("contact") JsonNode contact,
    @JsonProperty("motd") String motd,
    @JsonProperty("icon_url") String iconUrl,
    @JsonProperty("urls") List<String> urls,
    @JsonProperty("time") Long time,
    @JsonProperty("tos_url") String tosUrl,
    @JsonProperty("nuts") Map<String, JsonNode> nuts) {

  public MintInfo {
    nuts = nuts == null ? Map.of() : Map.copyOf(nuts);
  }

  /** A NUT-04/05 {@code MintMethodSetting}/{@code MeltMethodSetting}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record MethodSetting(
      @JsonProperty("method") String method,
      @JsonProperty("unit") String unit,
      @JsonProperty("method_name") String methodName,
      @JsonProperty("min_amount") Long minAmount,
      @JsonProperty("max_amount") Long maxAmount,
      @JsonProperty("options") JsonNode options) {

    /** True when {@code amount} is within the advertised limits (absent limits do not limit). */
    public boolean allows(long amount) {
      return (minAmount == null || amount >= minAmount) && (maxAmount == null || amount <= maxAmount);
    }
  }

  /** NUT-19: the mint caches successful answers of these endpoints for {@code ttl} seconds (null: indefinitely). */
  public record ResponseCache(Long ttl, List<Endpoint> endpoints) {
    public record Endpoint(String method, String path) {}

    public boolean caches(String method, String path) {
      for (Endpoint e : endpoints) if (e.method().equalsIgnoreCase(method) && e.path().equals(path)) return true;
      return false;
    }
  }

  /** True when {@code nuts["n"].supported} is true (NUT-07, 08, 09, 10, 11, 12, 20 …). */
  public boolean supports(int nut) {
    return nut(nut).path("supported").asBoolean(false);
  }

  public List<MethodSetting> mintMethods() {
    return methods(4);
  }

  public List<MethodSetting> meltMethods() {
    return methods(5);
  }

  public boolean mintingDisabled() {
    return nut(4).path("disabled").asBoolean(false);
  }

  public boolean meltingDisabled() {
    return nut(5).path("disabled").asBoolean(false);
  }

  /** The NUT-04 setting for a method and unit, e.g. {@code ("bolt11", "sat")}. */
  public Optional<MethodSetting> mintMethod(String method, String unit) {
    return mintMethods().stream().filter(m -> method.equals(m.method()) && unit.equals(m.unit())).findFirst();
  }

  public Optional<MethodSetting> meltMethod(String method, String unit) {
    return meltMethods().stream().filter(m -> method.equals(m.method()) && unit.equals(m.unit())).findFirst();
  }

  /** NUT-19 settings, when the mint advertises them. */
  public Optional<ResponseCache> responseCache() {
    JsonNode n = nut(19);
    if (!n.isObject()) return Optional.empty();
    List<ResponseCache.Endpoint> endpoints = new ArrayList<>();
    for (JsonNode e : n.path("cached_endpoints")) {
      if (e.path("method").isTextual() && e.path("path").isTextual()) {
        endpoints.add(new ResponseCache.Endpoint(e.get("method").asText(), e.get("path").asText()));
      }
    }
    Long ttl = n.path("ttl").isIntegralNumber() ? n.get("ttl").asLong() : null;
    return Optional.of(new ResponseCache(ttl, List.copyOf(endpoints)));
  }

  /** The settings object of one NUT, or a missing node. */
  private JsonNode nut(int nut) {
    JsonNode n = nuts.get(Integer.toString(nut));
    return n == null ? MissingNode.getInstance() : n;
  }

  private List<MethodSetting> methods(int nut) {
    JsonNode list = nut(nut).path("methods");
    List<MethodSetting> out = new ArrayList<>();
    for (JsonNode m : list) {
      try {
        out.add(Json.mapper().treeToValue(m, MethodSetting.class));
      } catch (JsonProcessingException | IllegalArgumentException e) {
        // a malformed entry is skipped: other methods remain usable
      }
    }
    return List.copyOf(out);
  }
}
