package archy.plugin;

import archy.nostr.Event;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Takes a client's EVENT of a kind it {@link #consumes} instead of the host: the event is verified, then neither
 * stored, nor fanned out, nor shown to other plugins' hooks (a kind 21083 stream payment). The answer becomes the
 * client's {@code OK}; slow work (a mint call) belongs on a virtual thread, with the future completed from there.
 */
public interface EventConsumer {
  boolean consumes(int kind);

  /**
   * @param subscriptions the sender's open subscriptions, to push events or NOTICEs onto (now or later)
   */
  CompletableFuture<EventGateway.Published> consume(Event event, Origin origin, List<? extends Recipient> subscriptions);
}
