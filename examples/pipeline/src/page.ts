export interface CrawlRequest {
  site: string;
  paths: string[];
}

export interface Page {
  site: string;
  path: string;
}

export interface RenderedPage extends Page {
  html: string;
}
