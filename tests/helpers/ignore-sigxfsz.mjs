// Preloaded into a server run under `ulimit -f` (tests/integration/faults.test.ts): a write past
// the file-size limit then fails with EFBIG, like a full disk, instead of SIGXFSZ killing the
// process.
process.on("SIGXFSZ", () => {});
