/** The part of jStat (MIT, https://github.com/jstat/jstat) the domain uses; it ships no types. */
declare module 'jstat' {
  // A CommonJS package: Node's ESM loader gives its exports as the default export only.
  const jstat: {
    jStat: {
      normal: {
        cdf(x: number, mean: number, sd: number): number;
        inv(p: number, mean: number, sd: number): number;
      };
    };
  };
  export default jstat;
}
