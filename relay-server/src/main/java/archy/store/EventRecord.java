package archy.store;

/** A stored event's keys without its JSON: what NIP-77 reconciles over, plus what read policies need. */
public record EventRecord(String id, String pubkey, int kind, long createdAt) {}
