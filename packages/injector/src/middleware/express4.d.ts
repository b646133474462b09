// Express 4, installed beside Express 5 for the compatibility tests; its API is what these tests use of Express 5's.
declare module "express4" {
  import express from "express";
  export default express;
}
