import { installTheme } from "./theme.js";
import "./app.js";

// Runs before the app's first render (Lit renders in a microtask), so the first frame already has the theme.
installTheme();
