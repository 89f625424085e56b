/**
 * The lazily loaded part of the charts (FEATURES entry `chart-builder`): the chart board with its cards, the "Add
 * chart" dialog and the chart kinds beyond the line chart (bar, scatter, parallel coordinates, contour, difference
 * view, image grid).
 */
import "./bar-chart.js";
import "./chart-body.js";
import "./chart-builder.js";
import "./chart-card.js";
import "./chart-grid.js";
