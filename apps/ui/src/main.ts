import { installTheme } from "./theme.js";

installTheme();
await import("./app.js");
