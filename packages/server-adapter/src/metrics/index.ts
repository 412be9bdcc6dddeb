export { type MetricsHandlerOptions, type MetricsOptions, SfuMetrics } from './SfuMetrics.js';
