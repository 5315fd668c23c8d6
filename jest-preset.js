/**
 * `preset: 'tracespec'`: everything `tracespec/jest` does (matchers, span capture) plus
 * tracespec's Jest runtime, which applies the instrumentations registered with
 * `installCapture({ instrumentations })` to the modules Jest loads. Jest loads modules
 * through its own registry, so `require-in-the-middle`, the hook every OpenTelemetry
 * auto-instrumentation relies on, never sees them.
 *
 * Jest puts a preset's `setupFilesAfterEnv` before the project's own, so a setup file of
 * yours that calls installCapture runs after tracespec/jest. Already using another preset?
 * Copy these two keys into your config instead (see the README).
 */
module.exports = {
  runtime: require.resolve('./dist/src/jest-runtime.js'),
  setupFilesAfterEnv: [require.resolve('./dist/src/jest.js')],
};
