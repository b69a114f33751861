/** The PostgreSQL server the benchmarks make their throwaway databases on (`createScratchDatabase`). */
export const benchServerUrl = (): string => process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
