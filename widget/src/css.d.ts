/** CSS files are bundled as minified text by widget/build.ts. */
declare module '*.css' {
  const css: string;
  export default css;
}
