/** The part of jStat (MIT, https://github.com/jstat/jstat) the domain uses; it ships no types. */
declare module 'jstat' {
  export const jStat: {
    normal: {
      cdf(x: number, mean: number, sd: number): number;
      inv(p: number, mean: number, sd: number): number;
    };
  };
}
