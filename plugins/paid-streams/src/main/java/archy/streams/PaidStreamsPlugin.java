package archy.streams;

import archy.config.ConfigSection;
import archy.ecash.Db;
import archy.ecash.gate.PaymentGate;
import archy.nostr.Event;
import archy.plugin.PluginContext;
import archy.plugin.RelayPlugin;
import archy.plugin.Verdict;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pay-per-observation event streams (PROTOCOLS.md §7): validates kind 30083 offers and observations' {@code seq},
 * gates delivery of priced observations per (subscriber, stream) through the host's delivery hook, takes kind 21083
 * payments through ecash-gate, and catches payers up in seq order.
 */
public final class PaidStreamsPlugin implements RelayPlugin {
  static final String SECTION = "paid-streams";
  private static final Logger log = LoggerFactory.getLogger(PaidStreamsPlugin.class);

  @Override
  public String name() {
    return SECTION;
  }

  @Override
  public void readConfig(ConfigSection section) {
    relaySharePpm(section);
  }

  static long relaySharePpm(ConfigSection section) {
    long ppm = section.longInteger("relay_share_ppm", 0, 0);
    if (ppm > 1_000_000) {
      throw new archy.config.ConfigException(section.path() + ".relay_share_ppm must be at most 1000000 (all of it)");
    }
    return ppm;
  }

  @Override
  public void install(PluginContext ctx) {
    PaymentGate gate = ctx.services().find(PaymentGate.class).orElseThrow(() -> new IllegalStateException(
        "paid-streams needs the ecash-gate plugin, started before it ([plugins] enabled)"));
    long share = relaySharePpm(ConfigSection.of(name(), ctx.config()));
    ctx.migrate();
    Grants grants = new Grants(new Db(ctx.dataSource(), ctx.dialect()), ctx.clock(), share);
    Offers offers = new Offers(ctx.events());
    offers.reload();
    StreamDelivery delivery = new StreamDelivery(offers, grants, ctx.events(), gate);
    ctx.hooks().rejectEvent((event, origin) -> check(event, offers, grants));
    ctx.hooks().onEventSaved(event -> saved(event, offers, grants));
    // What a sibling process on the same PostgreSQL stored, before it is fanned out here: its offers must price
    // their observations at once (the periodic reload alone left them free to anyone for up to its interval), and
    // an observation must be recorded before this process decides on it, or a catch-up it starts stops short of it.
    ctx.hooks().onSiblingEventSaved(event -> saved(event, offers, grants));
    ctx.hooks().rejectFilter((filter, origin) -> offers.mayMatchPriced(filter) && origin.authedPubkeys().isEmpty()
        && !origin.internal()
        ? Verdict.reject("auth-required: observations of paid streams are read after NIP-42 AUTH") : Verdict.ACCEPT);
    ctx.hooks().delivery(delivery);
    ctx.hooks().consumeEvent(new StreamPayments(ctx.nodeKeys(), offers, grants, gate, delivery));
    // Offers a sibling stored while this process was not listening, and closed subscriptions' state.
    ctx.scheduler().scheduleWithFixedDelay(() -> Thread.ofVirtual().name("paid-streams-offers").start(() -> {
      offers.reload();
      delivery.sweep();
    }), 10, 10, TimeUnit.SECONDS);
    log.info("paid-streams: relay share {} ppm", share);
  }

  private static Verdict check(Event event, Offers offers, Grants grants) {
    if (event.kind() == Offer.KIND) {
      try {
        Offer.parse(event);
        return Verdict.ACCEPT;
      } catch (IllegalArgumentException e) {
        return Verdict.reject("invalid: " + e.getMessage());
      }
    }
    Offer offer = offers.streamOf(event);
    if (offer == null) return Verdict.ACCEPT;
    try {
      long seq = Offer.seq(event);
      long last = grants.lastSeq(offer.address());
      if (seq <= last) return Verdict.reject("invalid: seq " + seq + " is not above the stream's last seq " + last);
      return Verdict.ACCEPT;
    } catch (IllegalArgumentException e) {
      return Verdict.reject("invalid: " + e.getMessage());
    } catch (SQLException e) {
      return Verdict.reject("error: could not check the stream's seq; try again");
    }
  }

  /** Here after {@link #check} accepted it, or from a sibling process (which may not run this plugin). */
  private static void saved(Event event, Offers offers, Grants grants) {
    if (event.kind() == Offer.KIND) {
      try {
        offers.put(Offer.parse(event));
      } catch (IllegalArgumentException e) {
        log.debug("offer {} skipped: {}", event.id(), e.getMessage());
      }
      return;
    }
    Offer offer = offers.streamOf(event);
    if (offer == null) return;
    try {
      if (!grants.observed(offer.address(), Offer.seq(event), event.id())) {
        log.warn("paid-streams: seq of observation {} was taken by a concurrent one", event.id());
      }
    } catch (IllegalArgumentException e) {
      log.debug("observation {} without a valid seq skipped: {}", event.id(), e.getMessage());
    } catch (SQLException e) {
      log.warn("paid-streams: could not record observation {}: {}", event.id(), e.getMessage());
    }
  }
}
