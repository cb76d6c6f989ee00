package io.judo.packet.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * A sliding window over a byte channel. Records are read in place (zero copy) from {@link #buffer()}.
 *
 * <p>Two ways to fill it. A stream (standard input, a pipe, bytes in memory) goes through one direct buffer that is
 * compacted and refilled, so a file of any size streams through a fixed amount of memory; the buffer grows only when
 * a single record is larger than it, up to {@link #MAX_CAPACITY}. A regular file is instead mapped in chunks of
 * up to {@link #MAP_CHUNK} bytes: the packets are read straight from the page cache, which saves the copy every
 * {@code read} makes (about a fifth of a no-rules scan's time). A record that crosses a chunk's end starts the next
 * chunk. Chunks are never unmapped by hand (a view of an old chunk may still be held); the collector releases them.
 */
final class CaptureInput implements AutoCloseable {
    static final int DEFAULT_CAPACITY = 1 << 20;
    /** Largest record we are willing to buffer; anything bigger is a corrupt length field. */
    static final int MAX_CAPACITY = 256 << 20;
    /** Most bytes of a regular file mapped at a time. */
    static final int MAP_CHUNK = 64 << 20;
    /** The first mapping's size; each next one doubles, up to the chunk size. */
    static final int FIRST_MAP = 1 << 20;

    private final ReadableByteChannel channel;
    /** The channel again when it is a regular file read through mappings, else null. */
    private final FileChannel mapped;
    /** Most bytes mapped at a time (when {@link #mapped}). */
    private final int chunk;
    /** Bytes the next mapping covers: small at first, so that the remapping branch is taken (and profiled) while
     *  the JIT still watches, not first seen after the reading loop was compiled without it (a deoptimisation). */
    private int nextMap;
    private ByteBuffer buffer;
    /** File offset of buffer index 0. */
    private long base;
    private boolean eof;
    private boolean swap;

    CaptureInput(ReadableByteChannel channel, int capacity) {
        this.channel = channel;
        this.mapped = null;
        this.chunk = 0;
        this.buffer = ByteBuffer.allocateDirect(capacity);
        this.buffer.limit(0);
    }

    /** Reads a regular file through mappings of {@code chunk} bytes, starting at its current position. */
    CaptureInput(FileChannel file, int chunk) throws IOException {
        this.channel = file;
        this.mapped = file;
        this.chunk = chunk;
        this.nextMap = Math.min(FIRST_MAP, chunk);
        this.base = file.position();
        this.buffer = map(base, nextMap);
    }

    /** The window; bytes between position and limit are available. Index = file offset - base. */
    ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Sets the byte order of the file's own headers. The buffer itself stays big-endian so that decoders always read
     * packet bytes in network order; header fields are swapped here instead.
     */
    void order(ByteOrder order) {
        swap = order != ByteOrder.BIG_ENDIAN;
    }

    /** A 32-bit header field at an absolute buffer index, in the file's byte order. */
    int int32(int index) {
        int v = buffer.getInt(index);
        return swap ? Integer.reverseBytes(v) : v;
    }

    /** An unsigned 16-bit header field at an absolute buffer index, in the file's byte order. */
    int uint16(int index) {
        short v = buffer.getShort(index);
        return Short.toUnsignedInt(swap ? Short.reverseBytes(v) : v);
    }

    /** A 64-bit header field at an absolute buffer index, in the file's byte order. */
    long int64(int index) {
        long v = buffer.getLong(index);
        return swap ? Long.reverseBytes(v) : v;
    }

    /** A 32-bit value at an absolute index in network byte order (magic numbers, block types). */
    int networkInt32(int index) {
        return buffer.getInt(index);
    }

    /** File offset of the read cursor. */
    long position() {
        return base + buffer.position();
    }

    /** Absolute buffer index of the read cursor. */
    int cursor() {
        return buffer.position();
    }

    int available() {
        return buffer.remaining();
    }

    void skip(int n) {
        buffer.position(buffer.position() + n);
    }

    /**
     * Makes at least {@code n} bytes available at the cursor, reading more from the channel as needed.
     *
     * @return false when the channel ended first (fewer than {@code n} bytes remain)
     */
    boolean request(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return true;
        }
        if (mapped != null) {
            return remap(n);
        }
        if (n > buffer.capacity()) {
            if (n > MAX_CAPACITY) {
                throw new IllegalArgumentException("record of " + n + " bytes exceeds the reader's limit");
            }
            grow(Math.max(n, Math.min(MAX_CAPACITY, buffer.capacity() * 2)));
        } else if (buffer.capacity() - buffer.position() < n) {
            compact();
        }
        while (buffer.remaining() < n && !eof) {
            int cursor = buffer.position();
            int dataEnd = buffer.limit();
            buffer.limit(buffer.capacity()).position(dataEnd);
            int read = channel.read(buffer);
            buffer.limit(buffer.position()).position(cursor);
            if (read < 0) {
                eof = true;
            }
        }
        return buffer.remaining() >= n;
    }

    /** Maps the next chunk from the cursor on, so that {@code n} bytes are available if the file has them. */
    private boolean remap(int n) throws IOException {
        if (n > MAX_CAPACITY) {
            throw new IllegalArgumentException("record of " + n + " bytes exceeds the reader's limit");
        }
        if (base + buffer.limit() >= mapped.size()) {
            return false; // the window already reaches the end of the file
        }
        long cursor = base + buffer.position();
        nextMap = Math.min(chunk, nextMap * 2);
        buffer = map(cursor, Math.max(n, nextMap));
        base = cursor;
        return buffer.remaining() >= n;
    }

    /** A read-only mapping of up to {@code length} bytes at {@code offset}, shorter where the file ends. */
    private ByteBuffer map(long offset, int length) throws IOException {
        long size = Math.max(0, Math.min(length, mapped.size() - offset));
        return mapped.map(FileChannel.MapMode.READ_ONLY, offset, size);
    }

    private void compact() {
        int pos = buffer.position();
        base += pos;
        buffer.compact();
        buffer.flip();
    }

    private void grow(int capacity) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(capacity);
        base += buffer.position();
        bigger.put(buffer);
        bigger.flip();
        buffer = bigger;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
