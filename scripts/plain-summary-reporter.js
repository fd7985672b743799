// Prints one plain closing line ("tests: N passed, N failed, N skipped") that any CI log reader understands.
export default class PlainSummaryReporter {
  onTestRunEnd(testModules) {
    let passed = 0,
      failed = 0,
      skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
