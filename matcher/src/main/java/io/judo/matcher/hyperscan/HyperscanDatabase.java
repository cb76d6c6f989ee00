package io.judo.matcher.hyperscan;

import static com.gliwka.hyperscan.jni.hyperscan.HS_EXT_FLAG_MAX_OFFSET;
import static com.gliwka.hyperscan.jni.hyperscan.HS_EXT_FLAG_MIN_OFFSET;
import static com.gliwka.hyperscan.jni.hyperscan.HS_MODE_SOM_HORIZON_LARGE;
import static com.gliwka.hyperscan.jni.hyperscan.hs_alloc_scratch;
import static com.gliwka.hyperscan.jni.hyperscan.hs_close_stream;
import static com.gliwka.hyperscan.jni.hyperscan.hs_compile_ext_multi;
import static com.gliwka.hyperscan.jni.hyperscan.hs_deserialize_database;
import static com.gliwka.hyperscan.jni.hyperscan.hs_serialize_database;
import static com.gliwka.hyperscan.jni.hyperscan.hs_free_compile_error;
import static com.gliwka.hyperscan.jni.hyperscan.hs_free_database;
import static com.gliwka.hyperscan.jni.hyperscan.hs_free_scratch;
import static com.gliwka.hyperscan.jni.hyperscan.hs_open_stream;
import static com.gliwka.hyperscan.jni.hyperscan.hs_scan;
import static com.gliwka.hyperscan.jni.hyperscan.hs_scan_stream;
import static com.gliwka.hyperscan.jni.hyperscan.hs_stream_size;
import static com.gliwka.hyperscan.jni.hyperscan.hs_valid_platform;
import static com.gliwka.hyperscan.jni.hyperscan.hs_version;

import com.gliwka.hyperscan.jni.hs_compile_error_t;
import com.gliwka.hyperscan.jni.hs_database_t;
import com.gliwka.hyperscan.jni.hs_expr_ext_t;
import com.gliwka.hyperscan.jni.hs_scratch_t;
import com.gliwka.hyperscan.jni.hs_stream_t;
import com.gliwka.hyperscan.jni.hyperscan;
import com.gliwka.hyperscan.jni.match_event_handler;
import io.judo.matcher.MatchSink;
import io.judo.matcher.MatcherException;
import io.judo.matcher.Pattern;
import io.judo.matcher.PatternDatabase;
import io.judo.matcher.PatternFlag;
import io.judo.matcher.Scanner;
import io.judo.matcher.StreamState;
import io.judo.matcher.confirm.ConfirmStage;
import io.judo.matcher.regex.RegexNode;
import io.judo.matcher.regex.RegexParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/** Patterns compiled for Hyperscan, in block mode and (on first use) stream mode. */
public final class HyperscanDatabase implements PatternDatabase {
    private static final int HS_FLAG_CASELESS = 1;
    private static final int HS_FLAG_DOTALL = 2;
    private static final int HS_FLAG_MULTILINE = 4;
    private static final int HS_FLAG_SINGLEMATCH = 8;
    private static final int HS_FLAG_SOM_LEFTMOST = 256;
    private static final int HS_MODE_BLOCK = 1;
    private static final int HS_MODE_STREAM = 2;

    private static volatile String unavailable;
    private static volatile boolean probed;

    private final Pattern[] patterns;
    private final boolean som;
    private final ConfirmStage confirm;
    private final int patternCount;
    private hs_database_t block;
    private hs_database_t stream;
    private final java.nio.file.Path cacheDir;
    private int cacheHits;

    /** Null when Hyperscan loads and supports this CPU; otherwise why not. */
    public static String unavailableReason() {
        if (!probed) {
            synchronized (HyperscanDatabase.class) {
                if (!probed) {
                    try {
                        Loader.load(hyperscan.class);
                        int rc = hs_valid_platform();
                        unavailable = rc == 0 ? null : "this CPU lacks the instructions Hyperscan needs (rc " + rc + ")";
                    } catch (Throwable t) {
                        unavailable = "the native library did not load: " + t;
                    }
                    probed = true;
                }
            }
        }
        return unavailable;
    }

    public static boolean available() {
        return unavailableReason() == null;
    }

    /** Hyperscan's version string. */
    public static String version() {
        return available() ? hs_version().getString() : "unavailable";
    }

    private HyperscanDatabase(List<Pattern> automaton, List<Pattern> confirm, int total, java.nio.file.Path cacheDir) {
        this.cacheDir = cacheDir;
        this.patterns = automaton.toArray(new Pattern[0]);
        boolean s = false;
        for (Pattern p : patterns) {
            s |= p.has(PatternFlag.SOM);
        }
        this.som = s;
        this.confirm = new ConfirmStage(confirm);
        this.patternCount = total;
    }

    /**
     * Compiles the patterns (block mode now, stream mode on first use).
     *
     * @throws MatcherException naming the pattern Hyperscan rejected and why
     * @throws IllegalStateException when Hyperscan is not available here
     */
    public static HyperscanDatabase compile(List<Pattern> patterns) {
        return compile(patterns, null);
    }

    /**
     * Compiles, or loads from {@code cacheDir} a database compiled earlier for exactly this pattern set, mode and
     * library version (the file name is the SHA-256 of all of them). A file that does not load is ignored and
     * replaced. {@code cacheDir} null disables the cache.
     */
    public static HyperscanDatabase compile(List<Pattern> patterns, java.nio.file.Path cacheDir) {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException("Hyperscan is not available: " + why);
        }
        List<Pattern> automaton = new ArrayList<>();
        List<Pattern> confirm = new ArrayList<>();
        for (Pattern p : patterns) {
            if (p.has(PatternFlag.SOM) && p.has(PatternFlag.SINGLEMATCH)) {
                throw new MatcherException(p.id(), 0, "start-of-match and single-match cannot be combined");
            }
            RegexNode tree = RegexParser.parse(p.expression(), p.id(), p.has(PatternFlag.CASELESS),
                    p.has(PatternFlag.DOTALL), p.has(PatternFlag.MULTILINE));
            if (needsConfirm(tree)) {
                confirm.add(p);
            } else {
                automaton.add(p);
            }
        }
        HyperscanDatabase db = new HyperscanDatabase(automaton, confirm, patterns.size(), cacheDir);
        db.block = db.patterns.length == 0 ? null : db.cachedBuild(HS_MODE_BLOCK);
        return db;
    }

    /** Hyperscan does word boundaries itself; backreferences, lookaround, atomic and possessive it cannot. */
    private static boolean needsConfirm(RegexNode n) {
        if (n instanceof RegexNode.Unsupported u) {
            return !u.construct().startsWith("word boundary");
        }
        if (n instanceof RegexNode.Concat c) {
            return c.items().stream().anyMatch(HyperscanDatabase::needsConfirm);
        }
        if (n instanceof RegexNode.Alt a) {
            return a.options().stream().anyMatch(HyperscanDatabase::needsConfirm);
        }
        if (n instanceof RegexNode.Repeat r) {
            return needsConfirm(r.node());
        }
        return false;
    }

    /** Databases loaded from the cache instead of compiled (0, 1 or 2). */
    public int cacheHits() {
        return cacheHits;
    }

    private hs_database_t cachedBuild(int mode) {
        if (cacheDir == null) {
            return build(mode);
        }
        java.nio.file.Path file = cacheDir.resolve(cacheKey(mode) + ".hsdb");
        if (java.nio.file.Files.isRegularFile(file)) {
            try {
                byte[] bytes = java.nio.file.Files.readAllBytes(file);
                BytePointer data = new BytePointer(bytes.length);
                data.put(bytes);
                PointerPointer<hs_database_t> out = new PointerPointer<>(1);
                if (hs_deserialize_database(data, bytes.length, out) == 0) {
                    cacheHits++;
                    return out.get(hs_database_t.class);
                }
            } catch (java.io.IOException e) {
                // unreadable cache entry: compile instead
            }
        }
        hs_database_t db = build(mode);
        PointerPointer<BytePointer> bytes = new PointerPointer<>(1);
        SizeTPointer length = new SizeTPointer(1);
        if (hs_serialize_database(db, bytes, length) == 0) {
            BytePointer serialized = bytes.get(BytePointer.class);
            byte[] copy = new byte[(int) length.get()];
            serialized.get(copy);
            Pointer.free(serialized);
            try {
                java.nio.file.Files.createDirectories(cacheDir);
                java.nio.file.Path tmp = java.nio.file.Files.createTempFile(cacheDir, "hsdb", ".tmp");
                java.nio.file.Files.write(tmp, copy);
                java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.io.IOException e) {
                // the cache is an optimisation: failing to write it changes nothing else
            }
        }
        return db;
    }

    private String cacheKey(int mode) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update((version() + "|" + mode + "|" + som + "|").getBytes(StandardCharsets.UTF_8));
            for (Pattern p : patterns) {
                sha.update((p.id() + "|" + p.flags().stream().map(Enum::name).sorted().toList() + "|" + p.minEnd() + "|"
                        + p.maxEnd() + "|").getBytes(StandardCharsets.UTF_8));
                sha.update(p.expression().getBytes(StandardCharsets.ISO_8859_1));
                sha.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private hs_database_t build(int mode) {
        int n = patterns.length;
        PointerPointer<BytePointer> expressions = new PointerPointer<>(n);
        BytePointer[] keep = new BytePointer[n];
        IntPointer flags = new IntPointer(n);
        IntPointer ids = new IntPointer(n);
        PointerPointer<hs_expr_ext_t> exts = new PointerPointer<>(n);
        hs_expr_ext_t[] keepExt = new hs_expr_ext_t[n];
        boolean anyExt = false;
        for (int i = 0; i < n; i++) {
            Pattern p = patterns[i];
            byte[] text = p.expression().getBytes(StandardCharsets.ISO_8859_1);
            keep[i] = new BytePointer(text.length + 1L);
            keep[i].put(text).put(text.length, (byte) 0);
            expressions.put(i, keep[i]);
            int f = 0;
            f |= p.has(PatternFlag.CASELESS) ? HS_FLAG_CASELESS : 0;
            f |= p.has(PatternFlag.DOTALL) ? HS_FLAG_DOTALL : 0;
            f |= p.has(PatternFlag.MULTILINE) ? HS_FLAG_MULTILINE : 0;
            f |= p.has(PatternFlag.SINGLEMATCH) ? HS_FLAG_SINGLEMATCH : 0;
            f |= p.has(PatternFlag.SOM) ? HS_FLAG_SOM_LEFTMOST : 0;
            flags.put(i, f);
            ids.put(i, i);
            if (p.minEnd() >= 0 || p.maxEnd() >= 0) {
                hs_expr_ext_t ext = new hs_expr_ext_t();
                long extFlags = 0;
                if (p.minEnd() >= 0) {
                    ext.min_offset(p.minEnd());
                    extFlags |= HS_EXT_FLAG_MIN_OFFSET;
                }
                if (p.maxEnd() >= 0) {
                    ext.max_offset(p.maxEnd());
                    extFlags |= HS_EXT_FLAG_MAX_OFFSET;
                }
                ext.flags(extFlags);
                keepExt[i] = ext;
                exts.put(i, ext);
                anyExt = true;
            } else {
                exts.put(i, (Pointer) null); // native memory is not zeroed: a stale pointer here crashes Hyperscan
            }
        }
        int fullMode = mode == HS_MODE_STREAM && som ? mode | HS_MODE_SOM_HORIZON_LARGE : mode;
        PointerPointer<hs_database_t> out = new PointerPointer<>(1);
        PointerPointer<hs_compile_error_t> err = new PointerPointer<>(1);
        int rc = hs_compile_ext_multi(expressions, flags, ids, anyExt ? exts : null, n, fullMode, null, out, err);
        if (rc != 0) {
            hs_compile_error_t e = err.get(hs_compile_error_t.class);
            String message = e.message().getString();
            int at = e.expression();
            hs_free_compile_error(e);
            throw new MatcherException(at >= 0 && at < n ? patterns[at].id() : -1, 0, "Hyperscan: " + message);
        }
        return out.get(hs_database_t.class);
    }

    private synchronized hs_database_t streamDb() {
        if (stream == null && patterns.length > 0) {
            stream = cachedBuild(HS_MODE_STREAM);
        }
        return stream;
    }

    @Override
    public Scanner scanner() {
        return new HsScanner();
    }

    @Override
    public String engine() {
        return "hyperscan";
    }

    @Override
    public int patternCount() {
        return patternCount;
    }

    @Override
    public int confirmCount() {
        return confirm.size();
    }

    @Override
    public long streamStateBytes() {
        hs_database_t db = streamDb();
        if (db == null) {
            return 0;
        }
        SizeTPointer size = new SizeTPointer(1);
        hs_stream_size(db, size);
        return size.get() + (confirm.size() > 0 ? ConfirmStage.WINDOW : 0);
    }

    @Override
    public String describe() {
        return "hyperscan " + version() + ": " + patternCount + " patterns, " + confirm.size() + " in the confirm stage";
    }

    @Override
    public synchronized void close() {
        if (block != null) {
            hs_free_database(block);
            block = null;
        }
        if (stream != null) {
            hs_free_database(stream);
            stream = null;
        }
    }

    /**
     * Where a thread's scan reports: the patterns of the database being scanned and the sink of the call. Set before
     * each Hyperscan call by the scanner making it; a thread makes one call at a time.
     */
    private static final class Route {
        Pattern[] patterns;
        MatchSink sink;
    }

    private static final ThreadLocal<Route> ROUTE = ThreadLocal.withInitial(Route::new);

    /**
     * The one native callback every scanner passes to Hyperscan, forwarding to the calling thread's {@link Route}.
     * JavaCPP backs each instance of a callback class with one of a fixed number of native thunks (ten by default),
     * so a callback per scanner stops working past ten scanners: matches went to another scanner's sink or nowhere
     * (five workers with two scanners each was the edge before the HTTP hook added one per buffer).
     */
    private static final class Handler extends match_event_handler {
        static final Handler INSTANCE = new Handler();

        @Override
        public int call(int index, long from, long to, int flags, Pointer context) {
            Route r = ROUTE.get();
            Pattern p = r.patterns[index];
            r.sink.match(p.id(), p.has(PatternFlag.SOM) ? from : -1, to);
            return 0;
        }
    }

    /** Routes the calling thread's matches to {@code sink} for a call into this database; returns the callback. */
    private Handler route(MatchSink sink) {
        Route r = ROUTE.get();
        r.patterns = patterns;
        r.sink = sink;
        return Handler.INSTANCE;
    }

    private final class HsStream implements StreamState {
        final hs_stream_t handle;
        final ConfirmStage.Window window;
        long offset;

        HsStream(hs_stream_t handle) {
            this.handle = handle;
            this.window = confirm.size() > 0 ? confirm.openWindow() : null;
        }

        @Override
        public long offset() {
            return offset;
        }
    }

    private final class HsScanner implements Scanner {
        private final hs_scratch_t scratch = new hs_scratch_t();
        private ByteBuffer wrapped;
        private BytePointer view;
        private BytePointer copy = new BytePointer(0L);
        private boolean streamScratch;

        HsScanner() {
            if (block != null && hs_alloc_scratch(block, scratch) != 0) {
                throw new IllegalStateException("Hyperscan could not allocate scratch");
            }
        }

        /** A pointer to data[offset] without copying when the buffer is direct. */
        private BytePointer pointer(ByteBuffer data, int offset, int length) {
            if (data.isDirect()) {
                if (data != wrapped) {
                    view = new BytePointer(data.duplicate().clear());
                    wrapped = data;
                }
                return view.position(offset);
            }
            if (copy.capacity() < length) {
                copy = new BytePointer(Math.max(length, copy.capacity() * 2));
            }
            copy.position(0).put(data.array(), data.arrayOffset() + offset, length);
            return copy.position(0);
        }

        @Override
        public void scan(ByteBuffer data, int offset, int length, MatchSink sink) {
            if (block != null) {
                int rc = hs_scan(block, pointer(data, offset, length), length, 0, scratch, route(sink), null);
                check(rc, "hs_scan");
            }
            confirm.scan(data, offset, length, sink);
        }

        @Override
        public StreamState openStream() {
            hs_database_t db = streamDb();
            hs_stream_t handle = null;
            if (db != null) {
                if (!streamScratch) {
                    check(hs_alloc_scratch(db, scratch), "hs_alloc_scratch");
                    streamScratch = true;
                }
                handle = new hs_stream_t();
                check(hs_open_stream(db, 0, handle), "hs_open_stream");
            }
            return new HsStream(handle);
        }

        @Override
        public void scan(StreamState stream, ByteBuffer data, int offset, int length, MatchSink sink) {
            HsStream s = (HsStream) stream;
            if (s.handle != null && length > 0) {
                check(hs_scan_stream(s.handle, pointer(data, offset, length), length, 0, scratch, route(sink), null),
                        "hs_scan_stream");
            }
            if (s.window != null && length > 0) {
                confirm.scan(s.window, data, offset, length, sink);
            }
            s.offset += length;
        }

        @Override
        public void close(StreamState stream, MatchSink sink) {
            HsStream s = (HsStream) stream;
            if (s.handle != null) {
                check(hs_close_stream(s.handle, scratch, route(sink), null), "hs_close_stream");
            }
        }

        private void check(int rc, String call) {
            if (rc != 0) {
                throw new IllegalStateException(call + " failed with " + rc);
            }
        }

        @Override
        public void close() {
            hs_free_scratch(scratch);
        }
    }
}
