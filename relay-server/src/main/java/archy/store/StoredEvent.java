package archy.store;

/** A stored event as a query returns it: the fields read policies need, plus its JSON ready to send. */
public record StoredEvent(String id, String pubkey, int kind, long createdAt, String json) {}
