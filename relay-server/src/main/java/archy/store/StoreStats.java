package archy.store;

public record StoreStats(long events, long jsonBytes) {}
