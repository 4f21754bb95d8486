import { Module } from '@nestjs/common';
import { CatalogController } from './catalog.controller.js';

/** Components, families, providers, regions and node sizes, served to the SPA from the shared contracts. */
@Module({ controllers: [CatalogController] })
export class CatalogModule {}
